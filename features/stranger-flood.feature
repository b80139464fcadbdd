Feature: A flood of throwaway identities cannot fill a node
  Identities are free to make. A peer earns a pin, a place in the peer lists
  passed on and long redialling only once it has stayed connected for
  max(period, 3 heartbeats); strangers that say hello and vanish are
  redialled a few times at most and then forgotten, and a full table makes
  room with them, never with an established peer.

  Background:
    Given the wire delays every segment by 5 ms
    And a full mesh of 3 nodes
    And 10 s of simulated time pass

  Scenario: strangers say hello and vanish, 100 a second for 5 s
    When 500 strangers with keys of their own say hello to N1 and vanish, 100 a second
    Then N1 pinned none of the strangers
    And within 1 min N1 has forgotten every stranger
    And N2 learned none of the strangers
    And N3 learned none of the strangers
    When node Erin joins through N1
    Then the network forms one full mesh within 5 s
    And after 10 s N1 has pinned Erin

  Scenario: a newcomer gets in while strangers fill the table
    Given node Tiny with room for 8 peers joins through N1
    And the network forms one full mesh within 5 s
    And 10 s of simulated time pass
    When 40 strangers with keys of their own say hello to Tiny and stay
    And node Erin joins through N1
    Then the network forms one full mesh within 5 s
    And Tiny still has N1, N2 and N3 connected
