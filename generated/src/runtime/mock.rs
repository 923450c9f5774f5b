//! Mock-server helpers (placeholder, written next).
