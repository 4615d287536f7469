"""Services of recommendation lists (honours, title promotion, talent programmes) with a
quota, the award as a threshold (R9)."""
