package dev.portcullis.rego;

/** A place in a source file; rows and columns count from 1. */
public record Location(String file, int row, int col) {
  @Override
  public String toString() { return file + ":" + row + ":" + col; }
}
