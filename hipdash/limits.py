"""How large a text file a person hands over (a note, a routine) may be."""

# The largest note or routine file read: far beyond any routine, and refused before it is
# read whole. In MB as Streamlit's uploader counts them (`max_upload_size`, 1024 × 1024 bytes).
MAX_FILE_MB = 1
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
