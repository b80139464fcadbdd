Feature: A graceful stop says goodbye
  A node that stops tells its peers; they report `peer_left` at once, not
  after `deadAfter`, and do not redial it.

  Scenario: a node stops and its peers let it go
    Given the wire delays every segment by 5 ms
    And a full mesh of 4 nodes
    When N2 stops gracefully
    Then every other running node reports N2 left within 50 ms
    When 2 min of simulated time pass
    Then no running node reported N2 dead or dialled it after it left
