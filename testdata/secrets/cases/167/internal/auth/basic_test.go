package auth

const header = "Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l"

var signingKey = "fHLaNwNhBgsF5n1U3KyiPilF5GQnpbZe"
