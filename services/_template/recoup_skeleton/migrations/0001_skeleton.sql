-- The cases this service has seen (from case.received).
CREATE TABLE cases (
    case_id       text          PRIMARY KEY,
    client_id     text          NOT NULL,
    placement_id  text          NOT NULL,
    placed_amount numeric(18,2) NOT NULL,
    received_at   timestamptz   NOT NULL
);
CREATE INDEX cases_client ON cases (client_id, case_id);
CREATE INDEX cases_received_at ON cases (received_at);
