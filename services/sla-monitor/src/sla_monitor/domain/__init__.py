"""Pure SLA rules: deadlines and the state of an appeal's clock."""
