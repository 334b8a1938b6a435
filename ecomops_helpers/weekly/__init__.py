"""The weekly review: the last complete Monday–Sunday week against plan and the week before."""
