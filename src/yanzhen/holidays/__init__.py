"""The statutory holiday schedule (法定节假日安排): holidays and make-up working days by year, the one source of
the working days a 公示 counts."""
