package dev.portcullis.gateway.admin;

/** A request the admin API refuses, with the HTTP status and a message the caller can act on. */
final class AdminException extends Exception {
  final int status;

  AdminException(int status, String message) {
    super(message);
    this.status = status;
  }
}
