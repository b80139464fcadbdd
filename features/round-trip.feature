Feature: Every node measures the round trip to every connected peer
  The round trip rides on frames sent anyway: a heartbeat or a ping echoes the
  last frame received and how long it was held, so the sender of that frame
  measures the round trip without a frame of its own.

  Scenario: round trips on a wire of known delay
    Given the wire delays every segment by 5 ms
    And a full mesh of 4 nodes
    When 10 s of simulated time pass
    Then every node lists every peer with a round trip of 10 ms
    When N4 is killed
    Then every other running node reports N4 disconnected within 1 s
    And no node lists N4 with a round trip

  Scenario: round trips on a jittery wire stay within what the wire allows
    Given the wire delays every segment by 5 ms with up to 5 ms of jitter
    And a full mesh of 4 nodes
    When 30 s of simulated time pass
    Then every node lists every peer with a round trip between 10 ms and 20 ms
