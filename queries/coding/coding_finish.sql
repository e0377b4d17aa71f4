-- Give the connection back as coding_prepare found it (the build runs later stages on it).
reset preserve_insertion_order;
reset enable_progress_bar;
