Feature: One connection per pair of peers
  When two peers dial each other at the same moment, both keep the same one
  connection and close the other quietly: no failure is reported.

  Scenario: two nodes dial each other at the same moment
    Given the wire delays every segment by 20 ms
    When Alice and Bob start at the same moment, each joining through the other
    Then the network forms one full mesh within 1 s
    When 30 s of simulated time pass
    Then Alice and Bob share exactly one open connection
    And no node reported a peer disconnected, dead or rejected
