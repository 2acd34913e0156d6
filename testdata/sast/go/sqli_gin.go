package api

import "github.com/gin-gonic/gin"

func Search(c *gin.Context) {
	term := c.Query("q")
	var items []Item
	db.Raw("SELECT * FROM items WHERE name LIKE '%" + term + "%'").Scan(&items) // want: sql-injection
	c.JSON(200, items)
}
