"""The data model: steps, derivations, checks and the rule ids."""
