Feature: Harness controls: clock, outcome table, journal, outbox, world and reset
  Every scenario runs under its own run key; what one run scripts or stores, no other sees.

  @H1 @api @ui
  Scenario: Set and advance the clock
    When the date becomes 2027-01-01
    And 3d pass
    Then the harness clock says 2027-01-04 09:00:00

  @H1 @api @ui
  Scenario: Another run's clock is its own
    When another run sets its clock to 2030-01-01
    Then the harness clock says 2026-11-23 09:00:00

  @H2 @api @ui
  Scenario: Scripted outcomes are used in order, then the happy path returns
    Given the face provider will answer PHOTO_QUALITY for 田军 2 times
    When 田军 tries to log in with face recognition
    Then 田军 is told "人像照片质量不合格"
    When 田军 tries to log in with face recognition
    Then 田军 is told "人像照片质量不合格"
    When 田军 logs in with face recognition
    Then 田军 is logged in to a personal account in the name 田军

  @H2 @api @ui
  Scenario: Scripts are listed until used up, and cleared: the happy path returns
    Given the face provider will answer PORTRAIT_MISMATCH for 田军 2 times
    Then the face provider has 2 answers scripted for 田军
    When 田军 tries to log in with face recognition
    Then 田军 is told "人像比对未通过"
    And the face provider has 1 answer scripted for 田军
    When the tester clears the scripts of the face provider
    Then the face provider has no scripts
    When 田军 logs in with face recognition
    Then 田军 is logged in to a personal account in the name 田军

  @H2 @api @ui
  Scenario: Latency is applied and journaled
    Given the face provider will take 300 ms for 田军
    When 田军 logs in with face recognition
    Then the journal shows a face call for 田军 that took 300 ms

  @H2 @api @ui
  Scenario: A scripted outcome in one run does not reach another run
    Given the face provider will answer PORTRAIT_MISMATCH for 田军
    When 田军 logs in with face recognition in another run
    Then 田军 is logged in there

  @H2 @api
  Scenario: An outcome a provider does not document is refused
    When the tester tries to script the face provider to answer LOOKS_FINE for 田军
    Then the harness refuses with 400 "UNKNOWN_OUTCOME"

  @H3 @api @ui
  Scenario: The outbox lists every message to a mobile and reads the latest code
    Given 田军 has logged in with face recognition
    And 田军 has asked for a login code
    When 61s pass
    And 田军 asks for a login code
    Then 田军 has received 2 SMS messages
    And the latest code the outbox reads for 田军 is the one in the second message

  @H3 @ui @screenshot
  Scenario: The console's SMS inbox shows a new code as it arrives, without reloading
    Given 田军 has logged in with face recognition
    And the tester is watching the SMS inbox of 田军
    When 田军 asks for a login code
    Then the SMS inbox the tester is watching shows the latest code 田军 received
    And the screen the tester sees is kept as "console-sms-inbox"

  @H4 @api
  Scenario: A seeded world is the same for the same seed
    When this run and another run each seed a world of 25 enterprises from seed 7
    Then both runs hold the same 25 enterprises with valid credit codes and legal representatives' ID numbers

  @H4 @api
  Scenario: Reset forgets the run's data and nothing of other runs
    Given 田军 has logged in with face recognition
    And another run has seeded a world of 5 enterprises
    When the run is reset
    Then the run holds no data
    And the other run still holds 5 enterprises

  @H6 @api
  Scenario Outline: Every server's API is described in OpenAPI and browsable
    When the tester opens the API browser of the <server>
    Then it shows the OpenAPI document of the <server>, which describes "<endpoint>"

    Examples:
      | server    | endpoint                           |
      | services  | /sdreg/v1/filings/readiness        |
      | services  | /yst/v1/face-login                 |
      | providers | /face/v1/sessions/{sessionId}/verify |
      | control   | /harness/v1/providers/{provider}/scripts |
