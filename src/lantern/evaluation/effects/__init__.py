"""Effect statistics: interrupted time series for campaigns, difference in differences
for training."""
