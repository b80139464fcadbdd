Feature: A hostile peer cannot grow a node without bound
  Bad input from the network closes that one connection and is logged; the
  node and its other peers carry on.

  Background:
    Given the wire delays every segment by 5 ms
    And a full mesh of 3 nodes

  Scenario: a peer list of 100 000 entries
    When a hostile peer completes the handshake with N1 and sends it one peer list of 100000 made-up entries
    Then N1 drops the hostile connection as a protocol violation
    And N1 learned none of the made-up peers
    And after 10 s the network is still one full mesh

  Scenario: a peer list over the entry limit that fits in a frame
    When a hostile peer completes the handshake with N1 and sends it one peer list of 5000 made-up entries
    Then N1 drops the hostile connection as a protocol violation
    And N1 learned none of the made-up peers

  Scenario: a flood of peer lists adding up to 100 000 entries
    When a hostile peer completes the handshake with N1 and sends it 25 peer lists of 4000 made-up entries each
    Then N1 knows at most 4096 peers throughout the next 10 s
    And within 2 min N1 has forgotten every made-up peer
    And after 10 s the network is still one full mesh

  Scenario: made-up peers are not passed on to the rest of the mesh
    When a hostile peer completes the handshake with N1 and sends it one peer list of 4000 made-up entries
    And 15 s of simulated time pass
    Then N2 learned none of the made-up peers
    And N3 learned none of the made-up peers

  Scenario: tags over the limits
    When a hostile peer completes the handshake with N1 and sends it 33 tags
    Then N1 drops the hostile connection as a protocol violation
    And N1 never reported the hostile peer's tags updated
    And after 10 s the network is still one full mesh
