Twilio.configure do |config|
  config.account_sid = "AC0df255ce3a0b835a2d4247b962311dbc"
  TWILIO_AUTH_TOKEN = "283962c00eedd19f5359fc591ce45440"
  config.auth_token = TWILIO_AUTH_TOKEN
end
