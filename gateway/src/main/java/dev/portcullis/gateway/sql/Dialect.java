package dev.portcullis.gateway.sql;

/** The lexical and naming rules that differ between the SQL servers we front. */
enum Dialect {
  /**
   * PostgreSQL: standard_conforming_strings on (no backslash escapes in '...'), E'...' strings, dollar quoting,
   * "identifiers", nested block comments, unquoted names fold to lower case.
   */
  POSTGRES,
  /**
   * MySQL/MariaDB: backslash escapes in '...' and "..." strings, `identifiers`, # and "-- " comments, executable
   * /*! comments (refused), names compared case-insensitively.
   */
  MYSQL;

  boolean backslashEscapesByDefault() {
    return this == MYSQL;
  }

  /**
   * PostgreSQL clients can turn standard_conforming_strings off, so a query whose literals read differently
   * with and without backslash escapes is refused. MySQL escapes with backslashes unless sql_mode contains
   * NO_BACKSLASH_ESCAPES; setting that mode is refused instead (see the SET classification), because
   * backslash-escaped quotes are everyday MySQL.
   */
  boolean refusesEscapeAmbiguity() {
    return this == POSTGRES;
  }
}
