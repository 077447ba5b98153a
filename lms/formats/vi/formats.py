# Vietnamese dates as documents and certificates write them: 23/11/2026, not Django's 23-11-2026.
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
