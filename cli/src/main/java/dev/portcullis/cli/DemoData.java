package dev.portcullis.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The demo's sample shop: customers with personal data (emails, card numbers, phones) and their orders. */
final class DemoData {
  static final String DATABASE = "portcullis_demo";

  private DemoData() {}

  /** Creates the database if needed and (re)creates its tables with the sample rows. */
  static void create(String host, int port, String user, String database) throws SQLException {
    String server = "jdbc:postgresql://" + host + ":" + port + "/";
    try (Connection admin = DriverManager.getConnection(server + "postgres", user, "");
         Statement st = admin.createStatement()) {
      var exists = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
      if (!exists.next()) st.execute("CREATE DATABASE " + database);
    }
    try (Connection c = DriverManager.getConnection(server + database, user, "");
         Statement st = c.createStatement()) {
      st.execute("""
          DROP TABLE IF EXISTS orders, customers;
          CREATE TABLE customers (
            id          integer PRIMARY KEY,
            name        text NOT NULL,
            email       text NOT NULL,
            card_number text,
            phone       text,
            notes       text
          );
          CREATE TABLE orders (
            id          integer PRIMARY KEY,
            customer_id integer NOT NULL REFERENCES customers(id),
            item        text NOT NULL,
            amount      numeric(10,2) NOT NULL
          );
          INSERT INTO customers VALUES
            (1, 'Ada Lovelace',    'ada@example.com',     '4111111111111111', '+44 20 7946 0958', 'prefers email'),
            (2, 'Grace Hopper',    'grace@example.org',   '5555555555554444', '+1 202 555 0143',  'card 4012888888881881 on file'),
            (3, 'Alan Turing',     'alan@example.net',    '378282246310005',  '+44 161 496 0735', 'call alan.t@example.net first'),
            (4, 'Katherine Johnson','kj@example.com',     '6011111111111117', '+1 757 555 0199',  NULL),
            (5, 'Edsger Dijkstra', 'edsger@example.nl',   NULL,               '+31 20 555 0172',  'no card');
          INSERT INTO orders VALUES
            (1, 1, 'analytical engine manual', 42.00),
            (2, 2, 'COBOL compiler',            99.90),
            (3, 3, 'enigma rotor set',          15.50),
            (4, 4, 'slide rule',                 7.25),
            (5, 5, 'shortest-path poster',      12.00);
          """);
    }
  }
}
