"""The one allow-list of HTML that content may carry, enforced by nh3, and what sanitizing changed."""
