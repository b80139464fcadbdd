Feature: Every node shows the pings of every other node
  Each node pings all of its peers once per its own period, and every peer
  reports each ping as it arrives.

  Scenario: three nodes with three different periods
    Given the wire delays every segment by 5 ms
    And node Alice pings every 1 s
    And node Bob pings every 2 s and joins through Alice
    And node Carol pings every 0.5 s and joins through Bob
    And the network forms one full mesh within 1 s
    When 20 s of simulated time pass
    Then every node received the pings of every other node, spaced by the sender's own period
    And every ping round of each node reached its 2 peers
