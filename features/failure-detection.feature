Feature: A killed node is reported dead, and only a killed node
  A node that dies without a goodbye is seen to disconnect at once (its
  connections are reset) and is reported dead once it has been silent for
  `deadAfter`, never earlier; a live node is never reported dead, even when
  the wire loses segments (TCP retransmits them: loss shows as delay).

  Background:
    Given the wire delays every segment by 5 ms with up to 5 ms of jitter

  Scenario Outline: a node dies abruptly on a wire that loses <loss> of segments
    Given the wire loses <loss> of segments
    And a full mesh of 6 nodes
    When 10 s of simulated time pass
    And N3 is killed
    Then every other running node reports N3 disconnected within 1 s
    And every other running node reports N3 dead within 5 s plus one heartbeat of its death
    When 2 min of simulated time pass
    Then no running node was ever reported dead

    Examples:
      | loss |
      | 0 %  |
      | 20 % |

  Scenario: the killed node restarts with its key and is taken back under the same identity
    Given a full mesh of 5 nodes
    When 10 s of simulated time pass
    And N2 is killed
    And 20 s of simulated time pass
    And N2 restarts with the same key at the same address
    Then the network forms one full mesh within 15 s
    And every other running node reconnected to N2 under the identity it had before
