const express = require("express");
const stripe = require("stripe")("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");

module.exports = async function charge(req, res) {
  const intent = await stripe.paymentIntents.create({ amount: req.body.amount, currency: "eur" });
  res.json({ id: intent.id });
};
