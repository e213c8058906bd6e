package dev.portcullis.gateway.sql;

import java.util.Set;

/**
 * Built-in functions that do more than compute a value: they write, signal other sessions, change settings or
 * the role, run SQL the analyzer cannot see, or touch the server's file system. Names are matched without schema
 * and in lower case, so a quoted or pg_catalog-qualified call is caught as well.
 */
final class AdminFunctions {

  private AdminFunctions() {
  }

  private static final Set<String> SIDE_EFFECTS = Set.of(
      // PostgreSQL: sessions, configuration, sequences, WAL and replication, notifications
      "pg_terminate_backend", "pg_cancel_backend", "set_config", "pg_reload_conf", "pg_rotate_logfile",
      "pg_logfile_rotate", "nextval", "setval", "pg_switch_wal", "pg_switch_xlog", "pg_create_restore_point",
      "pg_start_backup", "pg_stop_backup", "pg_backup_start", "pg_backup_stop", "pg_promote",
      "pg_wal_replay_pause", "pg_wal_replay_resume", "pg_drop_replication_slot",
      "pg_copy_physical_replication_slot", "pg_copy_logical_replication_slot", "pg_logical_emit_message",
      "pg_notify", "pg_log_backend_memory_contexts",
      "pg_import_system_collations",
      // PostgreSQL: functions that run SQL given as text, whose tables the analyzer cannot see
      "query_to_xml", "query_to_xml_and_xmlschema", "query_to_xmlschema", "cursor_to_xml",
      "table_to_xml", "table_to_xml_and_xmlschema", "schema_to_xml", "schema_to_xml_and_xmlschema",
      "database_to_xml", "database_to_xml_and_xmlschema",
      // MySQL / MariaDB
      "load_file", "get_lock", "release_lock", "release_all_locks", "sys_exec",
      "sys_eval", "master_pos_wait", "source_pos_wait");

  /** Prefixes of whole families (dblink_exec, lo_import, pg_advisory_lock, pg_stat_reset_shared ...). */
  private static final String[] SIDE_EFFECT_PREFIXES = {"dblink", "lo_", "lowrite", "pg_advisory_",
    "pg_try_advisory_", "pg_stat_reset", "pg_create_", "pg_replication_origin_", "pg_file_", "pg_read_",
    "pg_ls_", "pg_stat_file", "binary_upgrade_", "pg_replication_slot_advance"};

  private static final Set<String> SERVER_FILES = Set.of("pg_read_file", "pg_read_binary_file", "pg_ls_dir",
      "pg_stat_file", "lo_import", "lo_export", "pg_file_write", "pg_file_rename", "pg_file_unlink",
      "pg_file_sync", "load_file");

  private static final String[] SERVER_FILE_PREFIXES = {"pg_ls_", "pg_read_", "pg_file_"};

  static boolean hasSideEffects(String name) {
    return SIDE_EFFECTS.contains(name) || startsWithAny(name, SIDE_EFFECT_PREFIXES);
  }

  static boolean touchesServerFiles(String name) {
    return SERVER_FILES.contains(name) || startsWithAny(name, SERVER_FILE_PREFIXES);
  }

  private static boolean startsWithAny(String name, String[] prefixes) {
    for (String p : prefixes) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
