"""Staff pages of service requests and the customer's survey page."""
