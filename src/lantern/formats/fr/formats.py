"""French: Django's formats (17 juin 2021), with French typography for large numbers.

Thousands are grouped with a narrow no-break space ("2 500 rapports"), as the Imprimerie
nationale's rules and the Lexique des règles typographiques ask.
"""

DATETIME_FORMAT = "j F Y H:i"
THOUSAND_SEPARATOR = "\u202f"
