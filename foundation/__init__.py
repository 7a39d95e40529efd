"""The bottom layer: what every layer above shares and nothing here imports from them.

Errors a user can cause (`errors`), flushing to disk (`durability`), the zone's clock and calendar (`zone`),
and the code values with their Chinese names (`vocabulary`).
"""
