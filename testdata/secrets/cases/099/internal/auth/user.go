package auth

type Credentials struct {
	User     string `json:"user"`
	Password string `json:"password"`
	Token    string `json:"token,omitempty"`
}

func (c Credentials) Valid() bool { return c.Password != "" && c.Token != "" }
