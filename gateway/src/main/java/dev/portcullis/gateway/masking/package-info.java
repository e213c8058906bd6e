/**
 * Enforcement of a decision's {@code masks}: {@link dev.portcullis.gateway.masking.MaskPlan} validates them once
 * per decision, {@link dev.portcullis.gateway.masking.ColumnMasker} rewrites the values of one result set, by
 * result column (name, source table) and by content detectors that find emails, card numbers, IBANs, phone
 * numbers and secrets inside longer text.
 */
package dev.portcullis.gateway.masking;
