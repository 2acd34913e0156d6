curl -s -H "Authorization: Token r8_ozJGIt0RBOm1y1tOHkvgt6C9teFvqJMrT8mFE" https://api.replicate.com/v1/predictions
