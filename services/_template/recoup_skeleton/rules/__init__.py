"""Pure rules of the skeleton service: no FastAPI, asyncpg or aiokafka here."""
