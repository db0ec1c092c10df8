"""Core domain: the firm (tenant), its people, clients and their facts, audit and scoping."""
