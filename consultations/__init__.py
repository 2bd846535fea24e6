"""The partnership and its consultations: storage, accounts and roles, organisations,
consultations and questions, their lifecycle, the audit log and settings."""
