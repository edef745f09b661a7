"""Lantern's own date and number formats, where Django's locale formats do not suit.

Templates name formats (``DATE_FORMAT``, ``DATETIME_FORMAT``) instead of writing
``"j M Y"``: a fixed pattern gives French readers English-style abbreviations ("Jui" for
both June and July, "Déc" capitalised), while the locale's own format gives "17 juin 2021".
"""
