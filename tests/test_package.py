def test_package_reexports_its_public_names():
    import ecomops_helpers

    for name in ecomops_helpers.__all__:
        assert getattr(ecomops_helpers, name) is not None
