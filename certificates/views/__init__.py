"""The certificates app's views: ``site`` (a delegate's certificates, the PDF download and the
public verification page) and ``bulk`` (the admin's bulk ZIP download of many certificates)."""
