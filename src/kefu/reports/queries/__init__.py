"""Report builders: each reads roll-up tables for a period, scope and filters and returns
:class:`kefu.reports.tables.Table` objects whose cells link to the records behind them."""
