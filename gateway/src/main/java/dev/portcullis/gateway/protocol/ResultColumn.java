package dev.portcullis.gateway.protocol;

/**
 * One column of a result, as masks select it.
 *
 * @param name  the result column name (as the client sees it)
 * @param table the schema-qualified source table ({@code public.customers}) when the protocol knows it, else null
 */
public record ResultColumn(String name, String table) {}
