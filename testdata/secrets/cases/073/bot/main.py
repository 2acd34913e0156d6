from telegram.ext import Application

app = Application.builder().token("436127588:AABZps4WXpvoxjqoezyBuayN55xdnl5Tpoq").build()
