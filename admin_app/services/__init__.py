"""Business rules that span models. The admin views and the API both call these."""
