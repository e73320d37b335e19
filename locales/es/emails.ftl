# Emails and calendar files.
