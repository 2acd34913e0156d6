package weather

import (
	"net/http"
	"net/url"
)

func Forecast(w http.ResponseWriter, r *http.Request) {
	city := url.QueryEscape(r.URL.Query().Get("city"))
	resp, err := http.Get("https://api.open-meteo.example/v1/forecast?city=" + city)
	if err == nil {
		resp.Body.Close()
	}
}
