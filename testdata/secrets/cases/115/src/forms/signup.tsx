const passwordRegex = "^(?=.*[A-Z])(?=.*[0-9]).{12,}$";
const passwordHint = "Use 12+ characters";
const PASSWORD_MIN_LENGTH = 12;
