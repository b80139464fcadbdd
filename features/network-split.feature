Feature: A split network heals into one mesh
  A partition is a cut cable: frames are lost without a close, dials across
  it time out. Each side redials the other with capped backoff, and every
  reconnection exchanges peer lists, so members that joined either side
  during the split end up in the one mesh.

  Background:
    Given the wire delays every segment by 5 ms with up to 5 ms of jitter
    And a full mesh of 6 nodes

  Scenario: each side gains a member during the split
    When the network splits into N1, N2, N3 and N4, N5, N6
    And 20 s of simulated time pass
    And node Erin joins through N1 on N1's side of the split
    And node Frank joins through N4 on N4's side of the split
    Then within 5 s N1, N2, N3 and Erin form a full mesh of their own
    And within 5 s N4, N5, N6 and Frank form a full mesh of their own
    When the split heals
    Then the network forms one full mesh within 30 s

  Scenario: a split of an hour still heals when the link returns
    When the network splits into N1, N2, N3 and N4, N5, N6
    And 1 h of simulated time pass
    Then every node on each side reports every node of the other side dead
    When the split heals
    Then the network forms one full mesh within 30 s
    And no running node was reported dead after the split healed
