"""Files to take along: the physio's report (HTML), the plan for the phone's calendar
(.ics), and the address and QR code that open hipdash on the phone. No Streamlit here."""
