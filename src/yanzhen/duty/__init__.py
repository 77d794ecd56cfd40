"""坐班值班 (issue 18 §1): the duty rota of a village, check-in on a phone, leave and its approval."""
