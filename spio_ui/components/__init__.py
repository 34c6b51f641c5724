"""Pure component functions: they take plain values or Vars and return components."""
