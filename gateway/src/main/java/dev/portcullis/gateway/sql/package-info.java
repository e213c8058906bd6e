/**
 * What a SQL query string does, for the policy: {@link dev.portcullis.gateway.sql.SqlAnalyzer} splits it into
 * statements exactly as the server would (quotes, dollar quotes, comments, escapes) and describes each as a
 * {@link dev.portcullis.gateway.sql.StatementInfo} ({@code input.sql.statements[i]}). Conservative by
 * construction: what cannot be read with certainty is type {@code unknown} with the reason, never a guess.
 */
package dev.portcullis.gateway.sql;
