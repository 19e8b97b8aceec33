"""What is generated for readers from the content: council and tag pages, bylines, related posts, notices, share cards."""
