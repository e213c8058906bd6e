package dev.portcullis.gateway.sql;

/** The statement cannot be analyzed; it becomes type unknown with this message. */
class NotAnalyzable extends RuntimeException {
    NotAnalyzable(String message) {
        super(message, null, false, false);
    }
}
