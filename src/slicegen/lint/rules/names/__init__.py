"""SG1xx: names that speak the business."""
